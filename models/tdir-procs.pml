/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * The processes of the TDIR models (docs/tdir-model.md): the vCPUs' run
 * loop, the injector and the end-state check.  Included last by
 * tdir-old.pml and tdir-new.pml, after the protocol's inlines.
 */

proctype vcpu(byte me)
{
	bool bail;
	byte tgt;	/* prune's new route */
top:
	/* IRQs on: an IPI pending on this CPU is taken (and acknowledged);
	 * check_vcpu_requests() */
	handle_requests(me);
	/* local_irq_disable(); kvm_vgic_flush_hwstate() under ap_list_lock;
	 * smp_store_mb(vcpu->mode, IN_GUEST_MODE); kvm_vcpu_exit_request()
	 * backs out on a pending request.  One step: a request raised after
	 * the flush is seen here, one raised later kicks (IN_GUEST_MODE). */
	atomic {
		flush(me);
		enter_mode(me);
		if
		:: REQ_PENDING(me) ->
			drain(me);
			mode[me] = OUTSIDE;
			fold(me);
			prune(me);
			bail = 1
		:: else
		fi
	};
	if
	:: bail -> bail = 0; goto top
	:: else
	fi;
	configure_tdir(me);
	/* In the guest.  A vCPU with nothing left to do idles here. */
end_guest:
	do
	:: atomic { spi_lr == me && lr_pending -> guest_ack(me) }
	:: atomic { dir_due -> guest_dir(me) }
	/* exits: an IPI, the EOI maintenance interrupt of a deactivated LR,
	 * anything else (timer, host interrupt, ...) a bounded number of times */
	:: ipi[me] -> break
	:: spi_lr == me && !lr_pending && !lr_active -> break
	:: atomic { spont > 0 -> spont-- }; break
	od;
	/* vcpu->mode = OUTSIDE_GUEST_MODE (a release store); the VMCR, with
	 * an EOImode the guest may have flipped, is saved;
	 * kvm_vgic_sync_hwstate(): fold, prune; then local_irq_enable() */
	atomic { drain(me); mode[me] = OUTSIDE; tdir[me] = 0; guest_flip(me) };
	atomic { fold(me); prune(me) };
	goto top
}

/* irqfd / KVM_IRQ_LINE: ROUNDS edges of the SPI, each once the previous one
 * is deactivated, to any vCPU (whatever route the guest set). */
proctype injector()
{
	byte r, t;

	for (r : 1 .. ROUNDS) {
		atomic {
			!spi_pending && !spi_active && spi_lr == NONE && !dir_due ->
			select (t : 0 .. NV - 1)	/* the route the guest set */
		};
		inject(t);
		t = 0
	}
	inj_done = 1
}

/* Every execution must end here: all SPIs delivered, deactivated and
 * notified exactly once.  If the system stops anywhere else (a vCPU waiting
 * for a synchronisation that never comes, an SPI stuck active or never
 * delivered) SPIN reports an invalid end state (property 3, safety part). */
proctype monitor()
{
	atomic {
		inj_done && !spi_pending && !spi_active && !dir_due && spi_lr == NONE ->
		assert(acks == ROUNDS && deact == acks && notifies == deact)
	}
}

init
{
	byte v;

	atomic {
		for (v : 0 .. NV - 1) {
			if
			:: eoimode[v] = 0
			:: eoimode[v] = 1
			fi
		}
		v = 0;
		for (v : 0 .. NV - 1) {
			run vcpu(v)
		}
		v = 0;
		run injector();
		run monitor();
		start_membus()
	}
}
